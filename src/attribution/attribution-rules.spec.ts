import { decidingContact, type OrderContact, whyContactRefused } from './attribution-rules.js';

const at = (hhmm: string) => new Date(`2026-11-10T${hhmm}:00Z`);
let n = 0;
const contact = (staffId: string, hhmm: string, o: Partial<OrderContact> = {}): OrderContact => ({
  id: `c${n++}`, staffId, contactedAt: at(hhmm), assistOnly: false, orderChanged: false, createdAt: at(hhmm), ...o,
});

describe('[002 订单归属] deciding contact', () => {
  it('is nobody without contacts', () => {
    expect(decidingContact([], null)).toBeNull();
  });

  it('rule 1/2: the agent in contact before payment', () => {
    expect(decidingContact([contact('A', '09:00')], at('09:30'))?.staffId).toBe('A');
  });

  it('an agreed deal stays with its agent when another only assisted (price change)', () => {
    const cs = [contact('A', '09:00'), contact('B', '09:20', { assistOnly: true })];
    expect(decidingContact(cs, at('09:30'))?.staffId).toBe('A');
  });

  it('the first agent did not close it, the customer came back and closed with another: the closing agent', () => {
    const cs = [contact('A', '09:00'), contact('B', '09:20')];
    expect(decidingContact(cs, at('09:30'))?.staffId).toBe('B');
  });

  it('rule 3: a contact after payment counts only when the order changed', () => {
    expect(decidingContact([contact('A', '09:00'), contact('B', '10:00')], at('09:30'))?.staffId).toBe('A');
    expect(decidingContact([contact('A', '09:00'), contact('B', '10:00', { orderChanged: true })], at('09:30'))?.staffId).toBe('B');
    expect(whyContactRefused(at('10:00'), at('09:30'), false, at('11:00'))).toMatch(/订单归属 3/);
    expect(whyContactRefused(at('10:00'), at('09:30'), true, at('11:00'))).toBeNull();
  });

  it('only assist-only contacts: the latest of them', () => {
    const cs = [contact('A', '09:00', { assistOnly: true }), contact('B', '09:10', { assistOnly: true })];
    expect(decidingContact(cs, null)?.staffId).toBe('B');
  });

  it('equal times: the one recorded later', () => {
    const cs = [contact('B', '09:00', { createdAt: at('09:05') }), contact('A', '09:00', { createdAt: at('09:01') })];
    expect(decidingContact(cs, null)?.staffId).toBe('B');
  });

  it('refuses a contact in the future', () => {
    expect(whyContactRefused(at('12:00'), null, false, at('11:00'))).toMatch(/future/);
  });
});
