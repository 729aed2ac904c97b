// The plugins that watch files or run timers are off; security and onerror (Egg's error answer) stay.
module.exports = { development: false, watcher: false, schedule: false, logrotator: false };
