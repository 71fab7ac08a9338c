// The chart code, a chunk of its own loaded after the first figures are on screen: the renderer (the shared chart
// definitions drawn with Observable Plot) and the training section, whose charts need it.
export { renderChart } from "../../src/report/charts.js";
export { trainingSection } from "../../src/report/sections.js";
