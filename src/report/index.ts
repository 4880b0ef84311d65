export { displayBundle, inNotebook, svgBundle, showSvg, type MimeBundle } from "./display.js";
export { table, formatTable, tableHtml, dataFrame, toRows, formatCell, type Row, type Cell, type DataFrameLike, type TableOptions } from "./table.js";
export { figure, figureBundle, saveFigure, figureHtml, ensurePlotlyLoaded, plotlyLoaderBundle, PLOTLY_LOADER_METADATA, type FigureOptions } from "./figure.js";
export { liveCurve, LiveCurve, progressLine, type LiveCurveOptions, type ProgressLike } from "./live.js";
export { renderFigure, closeRenderer, findChromium, chromiumLaunchOptions, warmRenderer, type ImageFormat } from "./render.js";
export { plotlyJs, figureSize, normalizeSpec, type PlotlySpec, type PlotlyTrace } from "./plotly.js";
export {
  sampleMean, percentile, iqm, bootstrapCi, meanCi, iqmCi, performanceProfile, profileThresholds, formatInterval,
  type Interval, type BootstrapOptions, type PerformanceProfile,
} from "./stats.js";
export { profileFigure, SERIES_COLORS, rgba, type ProfileGroup, type ProfileFigureOptions } from "./profile.js";
