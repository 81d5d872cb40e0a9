import { DOCUMENT } from '@angular/common';
import { Injectable, inject } from '@angular/core';

/** Hands a downloaded Blob to the browser as a file (a temporary object URL and an `<a download>`). */
@Injectable({ providedIn: 'root' })
export class BlobSaver {
  private readonly document = inject(DOCUMENT);

  save(blob: Blob, fileName: string): void {
    const url = URL.createObjectURL(blob);
    const link = this.document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.style.display = 'none';
    this.document.body.appendChild(link);
    link.click();
    link.remove();
    // the click has started the download; the URL is not needed after this turn
    setTimeout(() => URL.revokeObjectURL(url));
  }
}
