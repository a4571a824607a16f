import Adverts from './adverts.js';

/** Explicit command map: oclif loads exactly these, without scanning the file system at start-up. */
export default {
  adverts: Adverts,
};
