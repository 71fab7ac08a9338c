// Entry point of the web app: starts the worker early and draws the app.
import { render } from "preact";
import { App, markAppStart } from "./app.js";
import { warmUp } from "./client.js";
import "./style.css";

markAppStart();
warmUp();
render(<App />, document.getElementById("app") as HTMLElement);
