import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';

/**
 * A group of listeners for one surface or feature. Listeners ack first, parse the payload into
 * plain values, call one domain function, and render with a builder from `slack/views/`.
 */
export type ListenerGroup = (app: App, deps: Deps) => void;
