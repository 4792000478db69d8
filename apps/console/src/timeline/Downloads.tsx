import { EXPORT_FORMATS, exportDocument, type ExportInput } from './exports';

function saveText(filename: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // the download has started by the time this runs
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** JSON, RTTM, CSV and WebVTT, each with the speakers' names as renamed here. */
export function Downloads(input: ExportInput) {
  return (
    <section class="card downloads" aria-labelledby="downloads-title">
      <h3 id="downloads-title">Downloads</h3>
      <div class="button-row">
        {EXPORT_FORMATS.map(({ format, label, mime, extension }) => (
          <button key={format} type="button" onClick={() => saveText(`${input.fileId}.${extension}`, exportDocument(format, input), mime)}>
            {label}
          </button>
        ))}
      </div>
    </section>
  );
}
