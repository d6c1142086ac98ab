//! The help session end to end in real browsers (helper web app, web sharer) with the native
//! agent on Xvfb. See tests/browser/help-*.mjs.
