import { COLORS } from './palette.ts';

/** The report's only stylesheet, inlined in `<style>`. */
export const REPORT_STYLES = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f6f8; color: ${COLORS.text}; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { font-size: 22px; margin: 0 0 4px; }
header p { margin: 0; color: ${COLORS.muted}; }
nav { margin: 14px 0 6px; display: flex; flex-wrap: wrap; gap: 6px 14px; }
nav a { color: ${COLORS.enforce}; text-decoration: none; }
nav a:hover { text-decoration: underline; }
section { background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
h2 { font-size: 17px; margin: 0 0 12px; }
h3 { font-size: 14px; margin: 18px 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 10px; }
.card { border: 1px solid #e6e9ed; border-radius: 6px; padding: 8px 10px; }
.card .k { color: ${COLORS.muted}; font-size: 12px; }
.card .v { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .s { color: ${COLORS.muted}; font-size: 12px; }
.card.allow { border-left: 4px solid ${COLORS.allow}; }
.card.review { border-left: 4px solid ${COLORS.review}; }
.card.deny { border-left: 4px solid ${COLORS.deny}; }
.share-bar { display: flex; height: 10px; border-radius: 5px; overflow: hidden; background: ${COLORS.grid}; margin: 10px 0 4px; }
.share-bar span { display: block; height: 100%; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 12px 0 0; }
dl.meta dt { color: ${COLORS.muted}; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eceef1; vertical-align: top; }
th { font-weight: 600; color: ${COLORS.muted}; font-size: 12px; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.code, .code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; overflow-wrap: anywhere; }
.pos { color: #1f7a43; } .neg { color: #b3261e; }
.legend { list-style: none; padding: 0; margin: 0 0 6px; display: flex; gap: 16px; font-size: 12px; color: ${COLORS.muted}; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; vertical-align: -1px; }
.charts { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
svg[data-chart="confusion"] { max-width: 420px; }
svg[data-chart="pr-curve"] { max-width: 560px; }
svg.chart text { fill: ${COLORS.text}; font-size: 12px; }
svg.chart text.tick { fill: ${COLORS.muted}; font-size: 11px; }
svg.chart text.axis-label { fill: ${COLORS.muted}; font-size: 12px; }
svg.chart text.empty { fill: ${COLORS.muted}; font-size: 14px; }
svg.chart text.value { fill: ${COLORS.muted}; font-size: 11px; }
svg.chart tspan.shadow-tag { fill: ${COLORS.shadow}; }
svg.chart text.target-text { fill: ${COLORS.target}; font-size: 11px; }
svg.chart text.cell-count { font-size: 22px; font-weight: 600; }
svg.chart text.cell-name { font-size: 11px; }
svg.chart g[data-bucket]:hover rect, svg.chart g[data-rule]:hover rect.bar { opacity: .8; }
.note { color: ${COLORS.muted}; font-size: 12px; }
details summary { cursor: pointer; color: ${COLORS.enforce}; margin: 8px 0; }
footer { color: ${COLORS.muted}; font-size: 12px; text-align: center; }
@media print { body { background: #fff; } section { break-inside: avoid; border: none; } nav { display: none; } }
`;
