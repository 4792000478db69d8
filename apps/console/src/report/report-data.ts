/** What the CLI embeds in an HTML report, as JSON in a `<script type="application/json">`. */
export interface ReportData {
  /** The audio file's name, shown as the title. */
  title: string;
  /** Base name for the downloads and the RTTM file id. */
  fileId: string;
  /** The CLI's JSON output. */
  result: unknown;
  /** The audio as a data: URL, with `--embed-audio`. */
  audio: { src: string; description: string } | null;
}

export const REPORT_DATA_ELEMENT_ID = 'diarization-report-data';
