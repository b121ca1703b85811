/**
 * Prometheus's text format (version 0.0.4) for the few metrics Tandem keeps, written here rather
 * than with prom-client: a request is recorded with two Map lookups on prepared series, where
 * prom-client hashes a sorted label object per call, and nothing loads at startup.
 */

export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** A label value as the format wants it: backslash, double quote and line feed escaped. */
function escapeValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

export function labels(pairs: Record<string, string | number>): string {
  const parts = Object.entries(pairs).map(([name, value]) => `${name}="${escapeValue(String(value))}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

function header(out: string[], name: string, type: string, help: string): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

/** Counts by a fixed set of labels, the label string built once per series. */
export class Counter {
  readonly #series = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labelText: string, by = 1): void {
    this.#series.set(labelText, (this.#series.get(labelText) ?? 0) + by);
  }

  write(out: string[]): void {
    header(out, this.name, "counter", this.help);
    for (const [labelText, value] of this.#series) out.push(`${this.name}${labelText} ${value}`);
  }
}

/** Cumulative buckets (`le`), sum and count per series. */
export class Histogram {
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(labelText: string, value: number): void {
    let series = this.#series.get(labelText);
    if (series === undefined) {
      series = { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.#series.set(labelText, series);
    }
    // Counted in the first bucket that holds it; write() adds them up into Prometheus's cumulative form.
    const buckets = this.buckets;
    for (let i = 0; i < buckets.length; i++) {
      if (value <= buckets[i]!) {
        series.counts[i]!++;
        break;
      }
    }
    series.sum += value;
    series.count++;
  }

  write(out: string[]): void {
    header(out, this.name, "histogram", this.help);
    for (const [labelText, series] of this.#series) {
      // labelText is "{a="x"}" or "": the bucket's le joins the others.
      const inner = labelText === "" ? "" : `${labelText.slice(1, -1)},`;
      let cumulative = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        cumulative += series.counts[i]!;
        out.push(`${this.name}_bucket{${inner}le="${this.buckets[i]}"} ${cumulative}`);
      }
      out.push(`${this.name}_bucket{${inner}le="+Inf"} ${series.count}`);
      out.push(`${this.name}_sum${labelText} ${series.sum}`);
      out.push(`${this.name}_count${labelText} ${series.count}`);
    }
  }
}

/** A value read at scrape time, one line per label set. */
export function writeGauge(out: string[], name: string, help: string, values: Iterable<[string, number]>): void {
  header(out, name, "gauge", help);
  for (const [labelText, value] of values) out.push(`${name}${labelText} ${value}`);
}
