/** The page shell every dashboard page shares: navigation, styles, ECharts and the chart script. */
import { html, Html, jsonScript } from "./html.ts";

const NAV = [
  ["/sales", "Sales"],
  ["/restaurants", "Restaurants"],
  ["/sellers", "Seller balances"],
  ["/quality", "Data quality"],
  ["/catalog", "Catalog"],
  ["/admin", "Admin"],
] as const;

/** Where the header says who is signed in (filled per request by access.ts). */
export const ACCOUNT_SLOT = "<!--salesdw:account-->";

export function page(title: string, current: string, body: Html, options: { charts?: boolean; nav?: boolean } = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · salesdw</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
${options.charts ? html`<script src="/assets/echarts.min.js" defer></script>` : ""}
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/">salesdw</a>
  ${options.nav === false ? "" : html`<nav>${NAV.map(([href, label]) => html`<a href="${href}"${current === href ? html` aria-current="page"` : ""}>${label}</a>`)}</nav>`}
  ${new Html(ACCOUNT_SLOT)}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`.text;
}

/** A plain statement on the page: no data, a problem in the URL, a done edit. */
export function notice(kind: "empty" | "problem" | "done", text: string | Html): Html {
  return html`<p class="notice notice-${kind}" role="${kind === "problem" ? "alert" : "status"}">${text}</p>`;
}

/** A chart container; dashboard.js draws it from the JSON option with the same id. */
export function chart(id: string, title: string, option: unknown, height = 320): Html {
  return html`<figure class="chart">
  <div class="chart-canvas" id="${id}" data-chart="${id}-option" data-name="${title}" style="height:${height}px" role="img" aria-label="${title}"></div>
  ${jsonScript(`${id}-option`, option)}
</figure>`;
}

/** The ECharts option of a chart over days: its x axis, a scrolling legend, and the series drawn on it. */
export function dailyChartOption(days: string[], series: unknown[]) {
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: days },
    yAxis: { type: "value" },
    series,
  };
}

/** A plain table; text cells get dir="auto" so Persian reads right to left. */
export function table(headers: string[], rows: unknown[][], id?: string): Html {
  return html`<div class="table-wrap"><table${id ? html` id="${id}"` : ""}>
<thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td${typeof c === "string" || typeof c === "number" ? html` dir="auto"` : ""}>${c}</td>`)}</tr>`)}</tbody>
</table></div>`;
}
