'use strict';
// The entry point of the native action (runs.main in action.yml): the runner
// starts it with node24 and the step's INPUT_* variables. Everything it does
// is in shim.js.
require('./shim.js')
  .main()
  .then((code) => process.exit(code));
