/**
 * kafkajs 2.2.4's request queue, when it is not throttled, schedules its pending-request check with
 * `setTimeout(fn, throttledUntil - Date.now())` where `throttledUntil` is -1
 * (src/network/requestQueue/index.js, scheduleCheckPendingRequests). Node 24 warns
 * "TimeoutNegativeWarning: -1796... is a negative number" and runs the timer after 1 ms, which is
 * what kafkajs meant. The line tells a user nothing and appeared on every command that talks to
 * Kafka, so that one warning is dropped; every other warning is printed as Node prints it.
 */
let installed = false;

export function dropKafkajsNegativeTimeoutWarning(): void {
  if (installed) return;
  installed = true;
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning' && /^-\d+ is a negative number/.test(warning.message)) return;
    for (const print of printers) print(warning);
  });
}
