// Colour-vision-deficiency checks for the app's categorical colours: reads the colour variables
// of styles.css (light, and dark on top), simulates protanopia, deuteranopia and tritanopia
// (Machado, Oliveira and Fernandes 2009, severity 1.0, in linear sRGB) and measures how far apart
// two colours stay (CIE76 delta E in CIELAB). Used by scripts/palette.test.ts.

/** The `--name: #hex;` variables of a CSS block. */
export function readVars(block) {
  const out = {};
  for (const m of block.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) out[m[1]] = m[2].toLowerCase();
  return out;
}

/** The light theme's variables and the dark theme's (the light ones overridden). */
export function themes(css) {
  const root = css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')));
  const darkAt = css.indexOf('[data-theme="dark"] {');
  const dark = css.slice(darkAt, css.indexOf('}', darkAt));
  const light = readVars(root);
  return { light, dark: { ...light, ...readVars(dark) } };
}

const toLinear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

function rgbOf(hex) {
  return [1, 3, 5].map((i) => toLinear(Number.parseInt(hex.slice(i, i + 2), 16) / 255));
}

// Machado et al. 2009, severity 1.0.
const CVD = {
  none: null,
  protan: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deutan: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritan: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

export const VISIONS = Object.keys(CVD);

function simulate(rgb, vision) {
  const m = CVD[vision];
  if (!m) return rgb;
  return m.map((row) => Math.min(1, Math.max(0, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2])));
}

function lab([r, g, b]) {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** How different two colours look to someone with the given vision (CIE76 delta E). */
export function deltaE(hexA, hexB, vision = 'none') {
  const a = lab(simulate(rgbOf(hexA), vision));
  const b = lab(simulate(rgbOf(hexB), vision));
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** The closest pair of a set under any vision: { a, b, vision, dE }. */
export function closestPair(vars, names) {
  let best = { a: '', b: '', vision: '', dE: Number.POSITIVE_INFINITY };
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++)
      for (const v of VISIONS) {
        const a = vars[names[i]];
        const b = vars[names[j]];
        if (!a || !b) throw new Error(`no colour variable --${!a ? names[i] : names[j]}`);
        const dE = deltaE(a, b, v);
        if (dE < best.dE) best = { a: names[i], b: names[j], vision: v, dE };
      }
  return best;
}
