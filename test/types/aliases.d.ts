// The older majors, installed side by side as npm aliases. Express 4 has its own types
// (@types/express4, an alias of @types/express@4); Koa 2 is typed like Koa 3.
declare module 'koa2' {
  import Koa = require('koa');
  export = Koa;
}
