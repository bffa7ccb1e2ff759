/**
 * Restaurant days and hours (/restaurants) over mart.sales_summary_daily and
 * mart.sales_by_hour: a daily summary per department and a day × hour heat map.
 * Filters: from, to (default the 28 days up to the last business day), server, department,
 * metric (orders or revenue) for the heat map. Revenue is never added across currencies.
 */
import type { FastifyInstance } from "fastify";
import { addDays, daysBetween } from "../calendar.ts";
import type { Warehouse } from "../db.ts";
import { divide, formatDecimal } from "../format.ts";
import { html, type Html } from "../html.ts";
import { chart, dailyChartOption, notice, page, table } from "../layout.ts";
import { dayRange, firstOf, relationState, stateNotice } from "../marts.ts";

type Query = Record<string, string | string[] | undefined>;
const DAILY = "mart.sales_summary_daily";
const HOURLY = "mart.sales_by_hour";
const FILL = "It is built when a restaurant source (iiko) is loaded and `npx dataform run --track=false` has run.";

export async function restaurantRoutes(app: FastifyInstance, options: { warehouse: Warehouse }): Promise<void> {
  const pool = options.warehouse.reader;

  app.get("/restaurants", async (request, reply) => {
    reply.type("text/html; charset=utf-8");
    const query = request.query as Query;
    const [daily, hourly] = await Promise.all([relationState(pool, DAILY), relationState(pool, HOURLY)]);
    if (daily !== "ready" && hourly !== "ready") {
      return page("Restaurants", "/restaurants", html`${stateNotice(DAILY, daily, "restaurant data", FILL)}${daily === "missing" && hourly === "missing" ? "" : stateNotice(HOURLY, hourly, "hourly restaurant data", FILL)}`);
    }
    const lastDay = (await pool.query(`select max(business_day) as day from ${daily === "ready" ? DAILY : HOURLY}`)).rows[0].day as string;
    const range = dayRange(query, lastDay, 28);
    const server = firstOf(query, "server");
    const department = firstOf(query, "department");
    const metric = firstOf(query, "metric") === "revenue" ? "revenue" : "orders";
    const options = await pool.query<{ source_server: string; department: string }>(
      `select distinct source_server, department from ${daily === "ready" ? DAILY : HOURLY} order by 1, 2`,
    );

    const params: unknown[] = [range.from, range.to];
    const conditions = ["business_day between $1::date and $2::date"];
    if (server) conditions.push(`source_server = $${params.push(server)}`);
    if (department) conditions.push(`department = $${params.push(department)}`);
    const where = `where ${conditions.join(" and ")}`;

    const body: Html[] = [...range.problems.map((p) => notice("problem", p)), filterForm(range, server, department, metric, options.rows)];
    body.push(html`<p class="meta">${range.from} – ${range.to} (${daysBetween(range.from, range.to) + 1} days) · data up to ${lastDay}</p>`);

    body.push(html`<h2>Daily summary per department</h2>`);
    if (daily !== "ready") body.push(stateNotice(DAILY, daily, "daily restaurant data", FILL));
    else {
      const { rows: summary } = await pool.query(
        `select source_server, department, currency, count(distinct business_day)::int as days, sum(revenue) as revenue, sum(orders) as orders,
           sum(guests) as guests, sum(quantity) as quantity
         from ${DAILY} ${where} group by 1, 2, 3 order by 1, 2, 3`,
        params,
      );
      const { rows: perDay } = await pool.query(
        `select business_day, source_server, department, currency, sum(revenue) as revenue from ${DAILY} ${where} group by 1, 2, 3, 4 order by 1`,
        params,
      );
      if (!summary.length) body.push(notice("empty", "No restaurant days match these filters."));
      else {
        body.push(table(["Server", "Department", "Currency", "Days", "Revenue", "Orders", "Guests", "Items", "Revenue per order", "Revenue per guest"], summary.map((r) => [
          r.source_server, r.department, r.currency, r.days, formatDecimal(r.revenue, 2), formatDecimal(r.orders), formatDecimal(r.guests),
          formatDecimal(r.quantity, 3), formatDecimal(divide(r.revenue, r.orders), 2), formatDecimal(divide(r.revenue, r.guests), 2),
        ]), "restaurant-daily"));
        body.push(chart("chart-restaurant-days", "Revenue per day and department", dailyOption(perDay, range)));
      }
    }

    body.push(html`<h2>Day × hour</h2>`);
    if (hourly !== "ready") body.push(stateNotice(HOURLY, hourly, "hourly restaurant data", FILL));
    else body.push(await heatMap(where, params, metric, daily === "ready", range));
    return page("Restaurants", "/restaurants", html`${body}`, { charts: true });
  });

  async function heatMap(where: string, params: unknown[], wanted: "orders" | "revenue", haveDaily: boolean, range: { from: string; to: string }): Promise<Html> {
    let metric = wanted;
    let note: Html | string = "";
    if (metric === "revenue") {
      // Hourly rows carry no currency: take it from the daily rows, and refuse to add two currencies.
      const currencies = haveDaily
        ? (await pool.query(`select distinct currency from ${DAILY} ${where}`, params)).rows.map((r) => r.currency as string)
        : [];
      if (currencies.length !== 1) {
        metric = "orders";
        note = notice("problem", currencies.length > 1
          ? `Revenue here would add ${currencies.join(" and ")}: choose one server (or department) to see revenue by hour; showing orders.`
          : "The currency of the hourly revenue is unknown (no daily rows): showing orders.");
      } else note = html`<p class="meta">Revenue in ${currencies[0]}.</p>`;
    }
    const { rows } = await pool.query<{ business_day: string; hour: number; value: string }>(
      `select business_day, hour, sum(${metric}) as value from ${HOURLY} ${where} group by 1, 2 order by 1, 2`,
      params,
    );
    if (!rows.length) return notice("empty", "No restaurant hours match these filters.");
    const days: string[] = [];
    for (let day = range.from; day <= range.to; day = addDays(day, 1)) days.push(day);
    const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));
    const data = rows.map((r) => [Number(r.hour), days.indexOf(r.business_day), Number(r.value)]);
    const max = Math.max(...data.map((d) => d[2]), 1);
    const option = {
      tooltip: { position: "top" },
      grid: { left: 8, right: 16, top: 16, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: hours, name: "hour", splitArea: { show: true } },
      yAxis: { type: "category", data: days, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
      series: [{ name: metric === "revenue" ? "Revenue" : "Orders", type: "heatmap", data, emphasis: { itemStyle: { borderColor: "#333", borderWidth: 1 } } }],
    };
    return html`${note}${chart("chart-restaurant-hours", `${metric === "revenue" ? "Revenue" : "Orders"} by day and hour`, option, Math.max(260, days.length * 18 + 110))}`;
  }
}

function filterForm(range: { from: string; to: string }, server: string | undefined, department: string | undefined, metric: string, options: { source_server: string; department: string }[]): Html {
  const servers = [...new Set(options.map((o) => o.source_server))];
  const departments = [...new Set(options.filter((o) => !server || o.source_server === server).map((o) => o.department))];
  const select = (name: string, label: string, values: string[], chosen: string | undefined) => html`<label>${label}<select name="${name}" dir="auto">
    <option value="">All</option>${values.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ""} dir="auto">${v}</option>`)}</select></label>`;
  return html`<form class="filters" method="get" action="/restaurants">
  <label>From<input type="date" name="from" value="${range.from}"></label>
  <label>To<input type="date" name="to" value="${range.to}"></label>
  ${select("server", "Server", servers, server)}
  ${select("department", "Department", departments, department)}
  <label>Heat map<select name="metric"><option value="orders">Orders</option><option value="revenue"${metric === "revenue" ? html` selected` : ""}>Revenue</option></select></label>
  <button type="submit">Apply</button>
</form>`;
}

function dailyOption(rows: { business_day: string; source_server: string; department: string; currency: string; revenue: string }[], range: { from: string; to: string }) {
  const days: string[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) days.push(day);
  const keys = [...new Set(rows.map((r) => `${r.source_server} · ${r.department} (${r.currency})`))];
  // Stacked within one currency only.
  return dailyChartOption(days, keys.map((key) => {
    const own = rows.filter((r) => `${r.source_server} · ${r.department} (${r.currency})` === key);
    const byDay = new Map(own.map((r) => [r.business_day, Number(r.revenue)]));
    return { name: key, type: "bar", stack: own[0].currency, data: days.map((d) => byDay.get(d) ?? 0) };
  }));
}
