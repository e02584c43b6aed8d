// the shared stylesheet first: the features' own stylesheets, imported by their pages, come after it
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";

const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks #root");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
