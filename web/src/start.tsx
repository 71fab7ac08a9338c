// Draws the app: loaded by main.tsx once the worker has been started.
import { render } from "preact";
import { App, markAppStart } from "./app.js";

markAppStart();
render(<App />, document.getElementById("app") as HTMLElement);
