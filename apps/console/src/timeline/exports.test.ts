import { exportDocument, renamedDocument } from './exports';
import { readDocument } from './model';

const document = readDocument({
  id: 'job-1',
  duration: 12,
  segments: [
    { speaker: 'SPEAKER_01', start: 4.5, end: 9.25 },
    { speaker: 'SPEAKER_00', start: 0.5, end: 5 },
  ],
  speakers: [
    { speaker: 'SPEAKER_00', seconds: 4.5 },
    { speaker: 'SPEAKER_01', seconds: 4.75 },
  ],
});

describe('downloads with renamed speakers', () => {
  const names = { SPEAKER_00: 'Alice Smith', SPEAKER_01: 'Bob, "the host"' };

  it('RTTM: the name with spaces as underscores, the file id, times in seconds', () => {
    expect(exportDocument('rttm', { document, names, fileId: 'team meeting' })).toBe(
      'SPEAKER team_meeting 1 0.500 4.500 <NA> <NA> Alice_Smith <NA> <NA>\n' + 'SPEAKER team_meeting 1 4.500 4.750 <NA> <NA> Bob,_"the_host" <NA> <NA>\n',
    );
  });

  it('RTTM: a blank name keeps the label', () => {
    expect(exportDocument('rttm', { document, names: { SPEAKER_00: '   ' }, fileId: 'm' }).split('\n')[0]).toContain(' SPEAKER_00 ');
  });

  it('CSV quotes names with commas and quotes (RFC 4180)', () => {
    expect(exportDocument('csv', { document, names, fileId: 'm' })).toBe(
      'speaker,start,end,duration\r\nAlice Smith,0.500,5.000,4.500\r\n"Bob, ""the host""",4.500,9.250,4.750\r\n',
    );
  });

  it('WebVTT: one cue per turn with the name as voice, no markup from the name', () => {
    const vtt = exportDocument('vtt', { document, names: { SPEAKER_00: '<b>Al</b>' }, fileId: 'm' });
    expect(vtt).toBe('WEBVTT\n\n1\n00:00:00.500 --> 00:00:05.000\n<v &lt;b&gt;Al&lt;/b&gt;>&lt;b&gt;Al&lt;/b&gt;</v>\n\n2\n00:00:04.500 --> 00:00:09.250\n<v SPEAKER_01>SPEAKER_01</v>\n');
  });

  it('JSON: segments and the speaker summary renamed, everything else kept', () => {
    const json = JSON.parse(exportDocument('json', { document, names, fileId: 'm' }));
    expect(json).toEqual(renamedDocument(document, names));
    expect(json.id).toBe('job-1');
    expect(json.segments.map((s: { speaker: string }) => s.speaker)).toEqual(['Alice Smith', 'Bob, "the host"']);
    expect(json.speakers).toEqual([
      { speaker: 'Alice Smith', seconds: 4.5 },
      { speaker: 'Bob, "the host"', seconds: 4.75 },
    ]);
  });
});
