export { displayBundle, inNotebook, type MimeBundle } from "./display.js";
export { table, formatTable, tableHtml, dataFrame, toRows, formatCell, type Row, type Cell, type DataFrameLike, type TableOptions } from "./table.js";
export { figure, figureBundle, saveFigure, figureHtml, type FigureOptions } from "./figure.js";
export { renderFigure, closeRenderer, findChromium, type ImageFormat } from "./render.js";
export { plotlyJs, figureSize, normalizeSpec, type PlotlySpec, type PlotlyTrace } from "./plotly.js";
export {
  sampleMean, percentile, iqm, bootstrapCi, meanCi, iqmCi, performanceProfile, profileThresholds, formatInterval,
  type Interval, type BootstrapOptions, type PerformanceProfile,
} from "./stats.js";
