/**
 * One file from the label files of several legs (a journey whose legs different carriers label),
 * in leg order: ZPL blocks one after another, PDF pages one after another (pdf-join.ts), and PNG
 * images stacked top to bottom into one black-and-white PNG at 203 dpi, as one leg's labels are.
 */
import { createCanvas, Image } from '@napi-rs/canvas';
import type { LabelFormat } from '../domain/documents/label.js';
import { BilevelPngWriter } from './bilevel-png.js';
import { LABEL_DPI } from './label-layout.js';
import { joinPdfs } from './pdf-join.js';

async function stackPngs(files: Uint8Array[]): Promise<Buffer> {
  const images: Image[] = [];
  for (const file of files) {
    const image = new Image();
    image.src = file;
    await image.decode();
    images.push(image);
  }
  const width = Math.max(...images.map((i) => i.width));
  const png = new BilevelPngWriter(width, LABEL_DPI);
  for (const image of images) {
    const canvas = createCanvas(width, image.height);
    const g = canvas.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, width, image.height);
    g.drawImage(image, 0, 0);
    const rgba = canvas.data();
    const dots = new Uint8Array(width * image.height);
    for (let i = 0; i < dots.length; i++) dots[i] = rgba[i * 4] + rgba[i * 4 + 1] + rgba[i * 4 + 2] < 384 ? 1 : 0;
    png.addDots(dots, image.height);
  }
  return png.finish();
}

export async function joinLabelFiles(format: LabelFormat, files: Uint8Array[]): Promise<Uint8Array> {
  if (files.length === 1) return files[0];
  switch (format) {
    case 'ZPL':
      return Buffer.concat(files);
    case 'PDF':
      return joinPdfs(files);
    case 'PNG':
      return stackPngs(files);
  }
}
