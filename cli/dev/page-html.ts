/** The page's HTML: a shell for the script and the stylesheet the server also serves, and what the page needs to know. */

export interface PageConfig {
  /** The URL apps send their traces to (`MODA_BASE_URL`). */
  tracesUrl: string;
  /** What to paste into `.dev.vars` or `.env.local`. */
  envLines: string[];
  /** Where traces are forwarded, when they are. */
  forwardUrl?: string;
}

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='4' fill='%236d28d9'/%3E%3Cpath d='M4 11V5l4 4 4-4v6' stroke='white' stroke-width='1.6' fill='none'/%3E%3C/svg%3E";

/** JSON safe inside a script element: no `</script>`, no HTML comment opener. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export function pageHtml(config: PageConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>moda-edge dev</title>
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="/page.css">
</head>
<body>
<div id="app"></div>
<script id="moda-dev-config" type="application/json">${scriptJson(config)}</script>
<script src="/page.js"></script>
</body>
</html>
`;
}

/** Nothing the page shows (prompts, answers) can run as script, even if a bug put it in the DOM as HTML. */
export const PAGE_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";
