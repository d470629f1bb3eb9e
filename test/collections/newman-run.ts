/** Runs a Postman collection with newman's library API, no reporter; answers the run's summary. */
import newman, { type Summary } from 'newman';

export function runCollection(collection: unknown, variables: Record<string, string> = {}): Promise<Summary> {
  const envVar = Object.entries(variables).map(([key, value]) => ({ key, value }));
  return new Promise((resolve, reject) => {
    newman.run({ collection, reporters: [], envVar }, (err, summary) => (err ? reject(err) : resolve(summary)));
  });
}

/** Each failed assertion as `request › assertion: message`, to show in a failing expectation. */
export function failuresOf(summary: Summary): string[] {
  return summary.run.failures.map((f) => `${f.source?.name ?? '?'} › ${f.error.test ?? ''}: ${f.error.message}`);
}
