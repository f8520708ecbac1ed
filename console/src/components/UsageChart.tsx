import { OUTCOMES, bucketTotal, hourLabel, niceMax, usageSummary, usageTotals } from '../lib/usage';
import type { UsageBucket } from '../lib/usage';

const BAR = 4;
const HEIGHT = 120;

/**
 * Requests per hour by outcome, stacked, one bar per hour (hand-written SVG: no chart library in the
 * bundle). The picture is described in one sentence for screen readers (`role="img"`), and the same
 * numbers are a table under "Show as a table".
 */
export function UsageChart({ buckets }: { readonly buckets: readonly UsageBucket[] }) {
  const totals = usageTotals(buckets);
  const top = niceMax(Math.max(0, ...buckets.map(bucketTotal)));
  const width = Math.max(1, buckets.length) * BAR;
  const busy = buckets.filter((b) => bucketTotal(b) > 0);
  // One tick per day, at the first bucket of each UTC day.
  const days = buckets.map((b, i) => ({ i, day: b.start.slice(5, 10) })).filter(({ i }) => buckets[i].start.slice(11, 13) === '00');
  return (
    <figure className="usage">
      <figcaption>Requests per hour by outcome, last 7 days (UTC)</figcaption>
      <div className="chart">
        <span className="axis-top" aria-hidden="true">
          {top.toLocaleString('en')}
        </span>
        <svg viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={usageSummary(buckets)}>
          <line className="gridline" x1={0} x2={width} y1={0.5} y2={0.5} />
          <line className="gridline" x1={0} x2={width} y1={HEIGHT / 2} y2={HEIGHT / 2} />
          {buckets.map((bucket, i) => {
            let y = HEIGHT;
            return OUTCOMES.map(({ key }) => {
              const h = (bucket[key] / top) * HEIGHT;
              if (h === 0) return null;
              y -= h;
              return <rect key={`${bucket.start}-${key}`} className={`bar-${key}`} x={i * BAR + 0.5} y={y} width={BAR - 1} height={h} />;
            });
          })}
          <line className="baseline" x1={0} x2={width} y1={HEIGHT} y2={HEIGHT} />
        </svg>
        <div className="axis-days" aria-hidden="true">
          {days.map(({ i, day }) => (
            <span key={day} style={{ left: `${(i / Math.max(1, buckets.length)) * 100}%` }}>
              {day}
            </span>
          ))}
        </div>
      </div>
      <ul className="legend" aria-label="Outcomes">
        {OUTCOMES.map(({ key, label }) => (
          <li key={key}>
            <span className={`swatch bar-${key}`} aria-hidden="true" />
            {label}: {totals[key].toLocaleString('en')}
          </li>
        ))}
      </ul>
      <details>
        <summary>Show as a table</summary>
        {busy.length === 0 ? (
          <p className="empty">No requests in the last 7 days.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Usage per hour">
            <table>
              <caption className="visually-hidden">Requests per hour by outcome (hours with none left out)</caption>
              <thead>
                <tr>
                  <th scope="col">Hour</th>
                  {OUTCOMES.map(({ key, label }) => (
                    <th key={key} scope="col">
                      {label}
                    </th>
                  ))}
                  <th scope="col">All</th>
                </tr>
              </thead>
              <tbody>
                {busy.map((bucket) => (
                  <tr key={bucket.start}>
                    <th scope="row">{hourLabel(bucket.start)}</th>
                    {OUTCOMES.map(({ key }) => (
                      <td key={key}>{bucket[key]}</td>
                    ))}
                    <td>{bucketTotal(bucket)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  {OUTCOMES.map(({ key }) => (
                    <td key={key}>{totals[key]}</td>
                  ))}
                  <td>{totals.all}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </details>
    </figure>
  );
}
