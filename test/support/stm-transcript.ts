import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_EVAL } from '../shared-paths';

/** One utterance of an STM file: `file channel speaker start end text...`. */
export interface StmUtterance {
  speaker: string;
  start: number;
  end: number;
  text: string;
}

export function readStm(path = join(SHARED_EVAL, 'pyannote_sample.stm')): StmUtterance[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, , speaker, start, end, ...words] = line.trim().split(/\s+/);
      return { speaker, start: Number(start), end: Number(end), text: words.join(' ') };
    });
}

/** Word timings spread over the utterance in proportion to the words' lengths (STM has none). */
export function wordsOf(utterance: StmUtterance): { word: string; start: number; end: number }[] {
  const words = utterance.text.split(' ');
  const perChar = (utterance.end - utterance.start) / words.reduce((sum, word) => sum + word.length + 1, 0);
  let at = utterance.start;
  return words.map((word) => {
    const start = at;
    at += (word.length + 1) * perChar;
    return { word: ` ${word}`, start: round(start), end: round(start + word.length * perChar) };
  });
}

const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;

/** The utterances as Whisper verbose_json, with per-segment words (as openai-whisper writes it). */
export function whisperJson(utterances: StmUtterance[] = readStm()): object {
  return {
    task: 'transcribe',
    language: 'english',
    text: utterances.map((u) => u.text).join(' '),
    segments: utterances.map((u, id) => ({ id, start: u.start, end: u.end, text: ` ${u.text}`, words: wordsOf(u) })),
  };
}

const srtTime = (seconds: number): string => {
  const millis = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(Math.floor(millis / 3_600_000))}:${pad(Math.floor(millis / 60_000) % 60)}:${pad(Math.floor(millis / 1000) % 60)},${pad(millis % 1000, 3)}`;
};

/** The utterances as an SRT file. */
export function srtText(utterances: StmUtterance[] = readStm()): string {
  return utterances.map((u, index) => `${index + 1}\n${srtTime(u.start)} --> ${srtTime(u.end)}\n${u.text}\n`).join('\n');
}
