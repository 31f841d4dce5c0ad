import { joinText, personName, text } from './text.js';

describe('platform text as people read it (SPEC §5)', () => {
  it('decodes HTML entities once, strictly', () => {
    expect(text('Ship Your Idea &ndash; Color: Black')).toBe('Ship Your Idea – Color: Black');
    expect(text('Fish &amp; Chips &#8211; &#x4E2D;')).toBe('Fish & Chips – 中');
    expect(text('&amp;amp;')).toBe('&amp;');
    // no semicolon, no entity: words that happen to start like one stay as written
    expect(text('Tom&notes R&D AT&T')).toBe('Tom&notes R&D AT&T');
    expect(text('&nbsp;保温杯&nbsp;500ml&nbsp;')).toBe('保温杯 500ml');
    expect(text('&nbsp;')).toBeNull();
    expect(joinText('西湖区 &amp; 文三路', '', null)).toBe('西湖区 & 文三路');
  });

  it('composes a name in its script\'s order', () => {
    expect(personName('小红', '王')).toBe('王小红');
    expect(personName('太郎', '山田')).toBe('山田太郎');
    expect(personName('민준', '김')).toBe('김민준');
    expect(personName('Steve', 'Shipper')).toBe('Steve Shipper');
    expect(personName('Zoë', 'O&#39;Brien')).toBe("Zoë O'Brien");
    expect(personName('小红', '')).toBe('小红');
    expect(personName(null, 'Wang')).toBe('Wang');
    expect(personName('', null)).toBeNull();
  });
});
