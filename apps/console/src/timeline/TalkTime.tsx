import { speakerColor } from './colors';
import { displayName, type SpeakerNames } from './model';
import type { SpeakerStats } from './stats';
import { formatClock } from './time-format';

/** Talk time per speaker as bars, with the number of turns: a list, so screen readers read it too. */
export function TalkTime({ stats, names, duration }: { stats: readonly SpeakerStats[]; names: SpeakerNames; duration: number }) {
  const longest = Math.max(...stats.map((s) => s.seconds), 0.001);
  return (
    <section class="card talk-time" aria-labelledby="talk-time-title">
      <h3 id="talk-time-title">Talk time</h3>
      <ul>
        {stats.map((entry, index) => {
          const share = duration > 0 ? Math.round((entry.seconds / duration) * 100) : 0;
          return (
            <li key={entry.speaker} class="talk-time-row" data-speaker={entry.speaker}>
              <span class="talk-time-name">{displayName(names, entry.speaker)}</span>
              <span class="bar-track" aria-hidden="true">
                <span class="bar" style={{ width: `${(entry.seconds / longest) * 100}%`, background: speakerColor(index) }} />
              </span>
              <span class="talk-time-figures">
                {formatClock(entry.seconds)} ({share}%) · <span class="turns">{entry.turns}</span> {entry.turns === 1 ? 'turn' : 'turns'}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
