/** Colours shared by the CSS legend swatches and the SVG charts. */
export const COLORS = {
  allow: '#4c9a6a',
  review: '#e0a030',
  deny: '#c8423b',
  enforce: '#3b6fd8',
  shadow: '#8a63c7',
  axis: '#9aa3ad',
  grid: '#e6e9ed',
  text: '#2b3137',
  muted: '#66707a',
  curve: '#3b6fd8',
  target: '#c8423b',
  decision: '#e0a030',
} as const;
