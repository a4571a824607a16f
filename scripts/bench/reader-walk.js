// Our capture reader alone (no CLI start-up): the cost of the walk itself.
import { readCapture } from '../../dist/sources/capture/reader.js';

const it = readCapture(process.argv[2]);
let n = 0;
let step = await it.next();
while (!step.done) {
  n += step.value.length;
  step = await it.next();
}
console.log(`${step.value.frames} packets, ${n} records`);
