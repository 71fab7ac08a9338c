// Entry point of the web app, kept tiny: it starts the Web Worker at once, so the worker's download and start-up
// (the longest part of the first estimate) overlap the download of the app's own code, then loads and draws the app.
import { warmUp } from "./client.js";
import "./style.css";

warmUp();
void import("./start.js");
