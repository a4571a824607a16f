import Adverts from './adverts.js';
import Analyze from './analyze.js';
import Batch from './batch.js';
import BatchMerge from './batch/merge.js';
import Conntrack from './conntrack.js';
import Logs from './logs.js';
import Timeline from './timeline.js';

/** Explicit command map: oclif loads exactly these, without scanning the file system at start-up. */
export default {
  adverts: Adverts,
  analyze: Analyze,
  batch: Batch,
  'batch:merge': BatchMerge,
  conntrack: Conntrack,
  logs: Logs,
  timeline: Timeline,
};
