import fc from 'fast-check';
import { CarrierRegistry, carrierKey, SHIPPED_CARRIERS } from './carrier-registry.js';
import { DEFAULT_CARRIERS } from './default-carriers.js';

/** A spelling of `name` as people type it: any case per letter, spaces and punctuation between characters. */
const spelling = (name: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }),
      fc.array(fc.constantFrom('', '', '', ' ', '  ', '-', '.', '_', '·', '\u3000'), { minLength: name.length + 1, maxLength: name.length + 1 }),
    )
    .map(([upper, seps]) => seps[0] + [...name].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase()) + seps[i + 1]).join(''));

describe('carrier registry (SPEC §6 carrier identity)', () => {
  it('ships canonical Kuaidi100 codes with no name claimed by two carriers', () => {
    const owner = new Map<string, string>();
    for (const c of DEFAULT_CARRIERS) {
      expect(c.code).toMatch(/^[a-z0-9]+$/);
      for (const n of [c.code, c.displayName, c.chineseName, c.shortCode, ...c.aliases].filter((x): x is string => !!x)) {
        const k = carrierKey(n);
        expect(k).not.toBe('');
        if (owner.has(k)) expect({ name: n, owner: owner.get(k) }).toEqual({ name: n, owner: c.code });
        owner.set(k, c.code);
      }
    }
  });

  it('resolves platform, Chinese, short and Kuaidi100 names of one carrier to one code', () => {
    const cases: Array<[string, string]> = [
      ['YTO Express', 'yuantong'], ['YTO', 'yuantong'], ['圆通速递', 'yuantong'], ['yuantong', 'yuantong'],
      ['SF Express', 'shunfeng'], ['S.F. Express', 'shunfeng'], ['ＳＦ', 'shunfeng'], ['顺丰速运', 'shunfeng'],
      ['ZTO Express', 'zhongtong'], ['STO Express', 'shentong'], ['Yunda Express', 'yunda'], ['YD', 'yunda'],
      ['J&T Express', 'jtexpress'], ['JT', 'jtexpress'], ['极兔速递', 'jtexpress'],
      ['China Post', 'youzhengguonei'], ['中国邮政', 'youzhengguonei'], ['EMS', 'ems'], ['China EMS (ePacket)', 'ems'],
      ['JD Logistics', 'jd'], ['京东物流', 'jd'], ['Deppon', 'debangwuliu'], ['DBL', 'debangwuliu'], ['德邦快递', 'debangkuaidi'],
      ['Best Express', 'huitongkuaidi'], ['百世快运', 'baishiwuliu'],
    ];
    for (const [name, code] of cases) expect({ name, code: SHIPPED_CARRIERS.resolve(name)?.code }).toEqual({ name, code });
  });

  it('keeps an unknown name as its lower-case slug, the same for every spelling of it, and refuses nothing but emptiness', () => {
    expect(SHIPPED_CARRIERS.resolve('Acme Post')).toEqual({ code: 'acmepost', known: false });
    expect(SHIPPED_CARRIERS.resolve(' ACME-post ')).toEqual({ code: 'acmepost', known: false });
    expect(SHIPPED_CARRIERS.resolve('某某快递')).toEqual({ code: '某某快递', known: false });
    expect(SHIPPED_CARRIERS.resolve('-- . --')).toBeNull();
    expect(SHIPPED_CARRIERS.codeOf('')).toBe('unknown');
  });

  it('property: any alias of any shipped carrier, in any case and spacing, resolves to that carrier', () => {
    const pairs = DEFAULT_CARRIERS.flatMap((c) => SHIPPED_CARRIERS.namesOf(c.code).map((n) => [n, c.code] as const));
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs).chain(([name, code]) => spelling(name).map((typed) => ({ typed, code }))),
        ({ typed, code }) => SHIPPED_CARRIERS.resolve(typed)?.code === code,
      ),
      { numRuns: 2000 },
    );
  });

  it('adds a merchant\'s aliases and carriers; a renamed carrier still answers to its shipped name', () => {
    const r = new CarrierRegistry(DEFAULT_CARRIERS, [
      { code: 'yuantong', displayName: '圆通 (杭州仓)', aliases: ['YT Hangzhou'] },
      { code: 'acme', displayName: 'Acme Post', aliases: ['Acme', 'ACME 快递'] },
    ]);
    expect(r.resolve('yt-hangzhou')?.code).toBe('yuantong');
    expect(r.resolve('YTO Express')?.code).toBe('yuantong');
    expect(r.get('yuantong')?.displayName).toBe('圆通 (杭州仓)');
    expect(r.resolve('acme 快递')).toEqual({ code: 'acme', known: true });
    expect(r.get('acme')).toMatchObject({ shipped: false, displayName: 'Acme Post', merchantAliases: ['Acme', 'ACME 快递'] });
    expect(SHIPPED_CARRIERS.resolve('Acme')).toEqual({ code: 'acme', known: false });
  });
});
