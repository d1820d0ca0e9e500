/** Entry point of the web explorer: mount the app and route same-origin links inside it. */
import { render } from "preact";
import { App } from "./app.js";
import { interceptLinks } from "./router.js";
import "./styles.css";

const root = document.getElementById("app")!;
interceptLinks(document.body);
render(<App />, root);
