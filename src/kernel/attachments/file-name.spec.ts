import { sanitizeFileName } from './file-name.js';

describe('sanitizeFileName', () => {
  it.each([
    ['../../x.jpg', 'x.jpg'],
    ['..\\..\\windows\\x.jpg', 'x.jpg'],
    ['/etc/passwd', 'passwd'],
    ['商品 照片.jpg', '商品 照片.jpg'],
    ['a\u0000b\r\n.jpg', 'ab.jpg'],
    ['evil\u202egpj.exe', 'evilgpj.exe'],
    ['..', null],
    ['dir/', null],
    ['', null],
    [undefined, null],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('keeps at most 255 characters', () => {
    expect([...(sanitizeFileName(`${'长'.repeat(300)}.jpg`) ?? '')]).toHaveLength(255);
  });
});
