// Navigation hooks the views call (render, refreshState, navigate, …). The router registers its
// implementations once at boot (app.js), so views never import the router that imports them — the
// module graph stays acyclic.
const hooks = {};

/** Called once by app.js with the router's functions. */
export function registerNavigation(implementations) {
  Object.assign(hooks, implementations);
}

function hook(name) {
  const implementation = hooks[name];
  if (implementation === undefined) throw new Error(`navigation hook ${name} is not registered`);
  return implementation;
}

export const render = (...args) => hook('render')(...args);
export const renderMenu = (...args) => hook('renderMenu')(...args);
export const refreshState = (...args) => hook('refreshState')(...args);
export const navigate = (...args) => hook('navigate')(...args);
export const afterUnlock = (...args) => hook('afterUnlock')(...args);
/** The check view (the result view returns to it). */
export const renderCheck = (...args) => hook('renderCheck')(...args);
