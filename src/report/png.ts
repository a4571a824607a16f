/**
 * The timeline as PNG, rasterised in-process by resvg (@resvg/resvg-js: Rust resvg behind N-API, shipped prebuilt
 * for each platform inside the registry's packages, so it installs on Node 20 with no compiler, no download step and
 * no browser). Text is drawn with the system's fonts (DejaVu Sans first, the widest common default, which the
 * label layout is measured for).
 */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const mod = (await import('@resvg/resvg-js')) as unknown as { Resvg: typeof import('@resvg/resvg-js').Resvg; default?: { Resvg: typeof import('@resvg/resvg-js').Resvg } };
  const Resvg = mod.Resvg ?? mod.default!.Resvg;
  const png = new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  }).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
