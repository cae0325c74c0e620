// One prefix per script so interleaved output from nested stages stays readable.
export function makeLogger(name) {
  const prefix = `[${name}]`;
  return {
    info: (...args) => console.log(prefix, ...args),
    warn: (...args) => console.warn(prefix, 'warning:', ...args),
    error: (...args) => console.error(prefix, 'error:', ...args),
  };
}

export function formatSeconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
