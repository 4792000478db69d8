/// <reference types="vite/client" />
/**
 * The CLI's self-contained HTML report: the same result view as the console, built as one IIFE
 * with its CSS inlined, reading the result (and maybe the audio) the CLI put in the page.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import styles from '../styles.css?inline';
import { readDocument, type SpeakerNames } from '../timeline/model';
import { ResultView } from '../timeline/ResultView';
import { REPORT_DATA_ELEMENT_ID, type ReportData } from './report-data';

function Report({ data }: { data: ReportData }) {
  const [names, setNames] = useState<SpeakerNames>({});
  const document = readDocument(data.result);
  return (
    <main id="main" class="report">
      <h1>Diarization of {data.title}</h1>
      <ResultView
        document={document}
        fileId={data.fileId}
        audio={data.audio ? { src: data.audio.src, description: data.audio.description } : null}
        noAudioReason="This report has no audio (write it with --embed-audio to include it)."
        names={names}
        onNamesChange={setNames}
      />
    </main>
  );
}

const style = document.createElement('style');
style.textContent = styles;
document.head.append(style);
const root = document.getElementById('report')!;
try {
  const data = JSON.parse(document.getElementById(REPORT_DATA_ELEMENT_ID)!.textContent ?? '') as ReportData;
  render(<Report data={data} />, root);
} catch (error) {
  root.textContent = `This report could not be shown: ${(error as Error).message}`;
}
