import { useEffect, useState } from "react";

type Theme = "light" | "dark";

/**
 * Runs before first paint (inline, with the CSP nonce): applies a theme the
 * reader chose earlier. Without JavaScript the site follows the system's
 * prefers-color-scheme through CSS alone.
 */
export const themeScript = `try{var t=localStorage.getItem("theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => {
    const stored = document.documentElement.dataset.theme;
    const system = window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    setTheme(stored === "light" || stored === "dark" ? stored : system);
  }, []);
  if (!theme) return null; // needs JavaScript; the system theme applies meanwhile
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-label={`Switch to ${next} theme`}
      onClick={() => {
        document.documentElement.dataset.theme = next;
        try {
          localStorage.setItem("theme", next);
        } catch {
          /* private mode: the choice lasts for this page only */
        }
        setTheme(next);
      }}
    >
      {theme === "dark" ? "☀︎" : "☾"}
    </button>
  );
}
