import Adverts from './adverts.js';
import Conntrack from './conntrack.js';
import Logs from './logs.js';

/** Explicit command map: oclif loads exactly these, without scanning the file system at start-up. */
export default {
  adverts: Adverts,
  conntrack: Conntrack,
  logs: Logs,
};
