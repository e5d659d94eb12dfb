export { renderReportHtml } from './renderReportHtml.ts';
export { escapeHtml } from './escapeHtml.ts';
export { timelineChart } from './timelineChart.ts';
export { ruleHitsChart, rulesByHits } from './ruleHitsChart.ts';
export { prCurveChart, curvePoints } from './prCurveChart.ts';
export { confusionChart } from './confusionChart.ts';
