/**
 * Seller balances (/sellers) over mart.seller_balance_daily: balance over time per seller,
 * closing balances as of the range's end, and anomalies: days whose figures do not add up,
 * a day that does not open where the previous one closed, and data-quality findings about
 * seller data. Filters: from, to (default 90 days up to the last day), seller, currency.
 */
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import type { Warehouse } from "../db.ts";
import { formatDecimal } from "../format.ts";
import { html, type Html } from "../html.ts";
import { chart, dailyChartOption, notice, page, table } from "../layout.ts";
import { dayRange, firstOf, relationState, rowsBehind, stateNotice } from "../marts.ts";

type Query = Record<string, string | string[] | undefined>;
const BALANCES = "mart.seller_balance_daily";
const FILL = "It is built when seller events are loaded and `npx dataform run --track=false` has run.";
const CHART_SELLERS = 8;

export async function sellerRoutes(app: FastifyInstance, options: { warehouse: Warehouse }): Promise<void> {
  const pool = options.warehouse.reader;

  app.get("/sellers", async (request, reply) => {
    reply.type("text/html; charset=utf-8");
    const query = request.query as Query;
    const state = await relationState(pool, BALANCES);
    if (state !== "ready") return page("Seller balances", "/sellers", stateNotice(BALANCES, state, "seller balances", FILL));

    const lastDay = (await pool.query(`select max(day) as day from ${BALANCES}`)).rows[0].day as string;
    const range = dayRange(query, lastDay, 90);
    const seller = firstOf(query, "seller");
    const currency = firstOf(query, "currency");
    const choices = await pool.query<{ seller_id: string; currency: string }>(`select distinct seller_id::text, currency from ${BALANCES} order by 1, 2`);

    const params: unknown[] = [];
    const filters: string[] = [];
    if (seller) filters.push(`seller_id::text = $${params.push(seller)}`);
    if (currency) filters.push(`currency = $${params.push(currency)}`);
    const and = (extra: string[]) => (extra.length ? `where ${extra.join(" and ")}` : "");
    const inRange = [...filters, `day between $${params.length + 1}::date and $${params.length + 2}::date`];
    const rangeParams = [...params, range.from, range.to];

    // Closing balance of each seller and currency on its last day up to the range's end.
    const { rows: closing } = await pool.query(
      `select distinct on (seller_id, currency) seller_id::text as seller_id, currency, day, closing_balance
       from ${BALANCES} ${and([...filters, `day <= $${params.length + 1}::date`])}
       order by seller_id, currency, day desc`,
      [...params, range.to],
    );
    closing.sort((a, b) => Math.abs(Number(b.closing_balance)) - Math.abs(Number(a.closing_balance)));
    const charted = closing.slice(0, CHART_SELLERS).map((r) => `${r.seller_id}\u0000${r.currency}`);
    const { rows: series } = await pool.query(
      `select seller_id::text as seller_id, currency, day, closing_balance from ${BALANCES} ${and(inRange)} order by day`,
      rangeParams,
    );
    const { rows: totals } = await pool.query(
      `select currency, sum(inflow) as inflow, sum(outflow) as outflow, sum(net) as net, count(distinct seller_id)::int as sellers
       from ${BALANCES} ${and(inRange)} group by currency order by currency`,
      rangeParams,
    );
    const { rows: anomalies } = await pool.query(
      `with days as (
         select *, lag(closing_balance) over (partition by seller_id, currency order by day) as previous_closing,
           lag(day) over (partition by seller_id, currency order by day) as previous_day
         from ${BALANCES} ${and(filters)}
       )
       select seller_id::text as seller_id, currency, day, concat_ws('; ',
           case when opening_balance + net <> closing_balance then format('opening %s + net %s <> closing %s', opening_balance, net, closing_balance) end,
           case when inflow - outflow <> net then format('inflow %s - outflow %s <> net %s', inflow, outflow, net) end,
           case when previous_closing is not null and opening_balance <> previous_closing then format('opens at %s but %s closed at %s', opening_balance, previous_day, previous_closing) end
         ) as problem
       from days
       where day between $${params.length + 1}::date and $${params.length + 2}::date
         and (opening_balance + net <> closing_balance or inflow - outflow <> net or (previous_closing is not null and opening_balance <> previous_closing))
       order by day desc, seller_id limit 200`,
      rangeParams,
    );
    const findings = await sellerFindings(pool, seller);

    const body: Html[] = [...range.problems.map((p) => notice("problem", p))];
    body.push(filterForm(range, seller, currency, choices.rows));
    body.push(html`<p class="meta">${range.from} – ${range.to} · data up to ${lastDay}</p>`);
    if (!series.length && !closing.length) body.push(notice("empty", "No seller days match these filters."));
    body.push(table(["Currency", "Sellers", "Inflow", "Outflow", "Net"], totals.map((t) => [t.currency, t.sellers, money(t.inflow), money(t.outflow), money(t.net)]), "seller-totals"));
    body.push(html`<h2>Balance over time</h2>`);
    body.push(chart("chart-seller-balance", "Closing balance per seller", balanceOption(series, charted)));
    if (closing.length > CHART_SELLERS) body.push(html`<p class="meta">The chart shows the ${CHART_SELLERS} largest balances; choose a seller to see another.</p>`);
    body.push(html`<h2>Closing balances on ${range.to}</h2>`);
    body.push(table(["Seller", "Currency", "As of", "Closing balance"], closing.map((r) => [
      html`<a href="/sellers?seller=${encodeURIComponent(r.seller_id)}&from=${range.from}&to=${range.to}" dir="auto">${r.seller_id}</a>`,
      r.currency, r.day, money(r.closing_balance),
    ]), "closing-balances"));
    body.push(html`<h2>Anomalies</h2>`);
    body.push(anomalies.length
      ? table(["Seller", "Currency", "Day", "What does not add up"], anomalies.map((a) => [a.seller_id, a.currency, a.day, a.problem]), "seller-anomalies")
      : notice("done", "Every day in this range adds up and opens where the previous day closed."));
    if (findings.length) {
      body.push(html`<h3>Data-quality findings about seller data</h3>`);
      body.push(table(["Check", "Severity", "Record", "Detail"], findings.map((f) => [f.check_name, f.severity, f.record_key, f.detail]), "seller-findings"));
    }
    return page("Seller balances", "/sellers", html`${body}`, { charts: true });
  });
}

/** Data-quality findings about seller events and opening balances; for one seller, those whose row names it. */
async function sellerFindings(pool: pg.Pool, seller: string | undefined) {
  if ((await relationState(pool, "mart.dq_issues")) !== "ready") return [];
  const { rows } = await pool.query(
    `select issue_key, check_name, severity, record_key, detail, detected_at from mart.dq_issues
     where table_name ilike any (array['%seller%', '%opening_balance%']) or check_name ilike any (array['%seller%', '%balance%'])
     order by detected_at desc, record_key limit $1`,
    [seller ? 5000 : 100],
  );
  if (!seller) return rows;
  const behind = await rowsBehind(pool, rows.map((r) => r.issue_key));
  return rows.filter((r) => behind.get(r.issue_key)?.seller_id === seller).slice(0, 100);
}

const money = (value: unknown) => formatDecimal(value === null || value === undefined ? null : String(value), 2);

function filterForm(range: { from: string; to: string }, seller: string | undefined, currency: string | undefined, choices: { seller_id: string; currency: string }[]): Html {
  const select = (name: string, label: string, values: string[], chosen: string | undefined) => html`<label>${label}<select name="${name}" dir="auto">
    <option value="">All</option>${values.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ""} dir="auto">${v}</option>`)}</select></label>`;
  return html`<form class="filters" method="get" action="/sellers">
  <label>From<input type="date" name="from" value="${range.from}"></label>
  <label>To<input type="date" name="to" value="${range.to}"></label>
  ${select("seller", "Seller", [...new Set(choices.map((c) => c.seller_id))], seller)}
  ${select("currency", "Currency", [...new Set(choices.map((c) => c.currency))], currency)}
  <button type="submit">Apply</button>
</form>`;
}

function balanceOption(rows: { seller_id: string; currency: string; day: string; closing_balance: string }[], charted: string[]) {
  const days = [...new Set(rows.map((r) => r.day))].sort();
  return dailyChartOption(days, charted.map((key) => {
    const [seller, currency] = key.split("\u0000");
    const own = new Map(rows.filter((r) => r.seller_id === seller && r.currency === currency).map((r) => [r.day, Number(r.closing_balance)]));
    // A day without a row keeps the previous balance: connect the line over it.
    return { name: `${seller} (${currency})`, type: "line", step: "end", connectNulls: true, showSymbol: false, data: days.map((d) => own.get(d) ?? null) };
  }));
}
