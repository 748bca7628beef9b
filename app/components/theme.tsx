import { CSP_NONCE_PLACEHOLDER } from "~/modules/security/csp";

/**
 * Runs before first paint (inline, with the CSP nonce): applies a theme the
 * reader chose earlier. Without JavaScript the site follows the system's
 * prefers-color-scheme through CSS alone.
 */
export const themeScript = `try{var t=localStorage.getItem("theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;

/**
 * The toggle's behaviour, inline right after the button: a few hundred bytes
 * instead of React, so pages that ship no JavaScript bundle (the reading
 * pages, see app/modules/page/scripts.ts) still have it. It runs while the
 * page is parsed, before the first paint, so the button appears without
 * moving anything. React never manages the button's label or visibility (it
 * renders it hidden and unlabelled), so hydration leaves them alone.
 */
export const themeToggleScript = `(function(){var b=document.getElementById("theme-toggle"),r=document.documentElement;if(!b)return;function c(){var t=r.dataset.theme;return t==="light"||t==="dark"?t:matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}function s(){b.setAttribute("aria-label","Switch to "+(c()==="dark"?"light":"dark")+" theme")}s();b.hidden=false;b.addEventListener("click",function(){var n=c()==="dark"?"light":"dark";r.dataset.theme=n;try{localStorage.setItem("theme",n)}catch(e){}s()})})()`;

/**
 * The theme toggle: hidden until its script runs (it needs JavaScript; the
 * system theme applies meanwhile). The icon follows the theme through CSS.
 */
export function ThemeToggle() {
  return (
    <>
      <button type="button" id="theme-toggle" className="theme-toggle" hidden>
        <span className="theme-icon-dark" aria-hidden="true">
          ☾
        </span>
        <span className="theme-icon-light" aria-hidden="true">
          ☀︎
        </span>
      </button>
      <script nonce={CSP_NONCE_PLACEHOLDER} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: themeToggleScript }} />
    </>
  );
}
