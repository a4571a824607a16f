import { parseRuleset } from '../config/firewall.js';
import type { Source } from '../registry.js';

/** iptables-save / nft list ruleset output: a ruleset is told by its own grammar, before anything else in text. */
export const FIREWALL: Source = {
  kind: 'firewall',
  label: 'iptables',
  checks: ['rule-in-force'],
  signs: [{
    order: 20,
    test: (v) => {
      const rules = parseRuleset(v.text);
      return rules ? { format: rules.format, reason: `${rules.rules.length} rules` } : null;
    },
  }],
};
