import { cueTimestamp, escapeVttText } from './cue-text';

describe('cue times and text, as SubRip and WebVTT write them', () => {
  it('writes hours, minutes, seconds and milliseconds with the format’s separator', () => {
    expect(cueTimestamp(3725.5, '.')).toBe('01:02:05.500');
    expect(cueTimestamp(3725.5, ',')).toBe('01:02:05,500');
    expect(cueTimestamp(0.0004, '.')).toBe('00:00:00.000');
    expect(cueTimestamp(-1, ',')).toBe('00:00:00,000');
  });

  it('escapes the characters that are markup in WebVTT', () => {
    expect(escapeVttText('Bob <the host> & co')).toBe('Bob &lt;the host&gt; &amp; co');
  });
});
