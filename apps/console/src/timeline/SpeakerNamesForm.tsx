import { speakerColor } from './colors';
import type { SpeakerNames } from './model';

interface SpeakerNamesFormProps {
  speakers: readonly string[];
  /** The user's names. */
  names: SpeakerNames;
  /** Names a field shows while empty: the identified voices' labels. */
  defaults: SpeakerNames;
  onChange(names: SpeakerNames): void;
}

/** Renames speakers in this browser only; the names go into the timeline and every download. */
export function SpeakerNamesForm({ speakers, names, defaults, onChange }: SpeakerNamesFormProps) {
  return (
    <section class="card speaker-names" aria-labelledby="speaker-names-title">
      <h3 id="speaker-names-title">Speaker names</h3>
      <p class="hint">Changed here only (nothing is sent to the server); used in the timeline and the downloads.</p>
      {speakers.map((speaker, index) => (
        <div key={speaker} class="field speaker-name-field">
          <label for={`speaker-name-${index}`}>
            <span class="swatch" style={{ background: speakerColor(index) }} aria-hidden="true" />
            Name for {speaker}
          </label>
          <input
            id={`speaker-name-${index}`}
            type="text"
            maxLength={80}
            placeholder={defaults[speaker] ?? speaker}
            value={names[speaker] ?? ''}
            onInput={(event) => onChange({ ...names, [speaker]: (event.currentTarget as HTMLInputElement).value })}
          />
        </div>
      ))}
    </section>
  );
}
