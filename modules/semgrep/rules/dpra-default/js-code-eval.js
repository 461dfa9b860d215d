function calc(req) {
  // ruleid: dpra.js.eval-of-non-literal
  return eval(req.body.expression);
}

function compile(source) {
  // ruleid: dpra.js.eval-of-non-literal
  return new Function("a", "b", source);
}

function later(name) {
  // ruleid: dpra.js.eval-of-non-literal
  setTimeout("greet('" + name + "')", 10);
}

function constant() {
  // ok: dpra.js.eval-of-non-literal
  return eval("1 + 1");
}

function constantFunction() {
  // ok: dpra.js.eval-of-non-literal
  return new Function("a", "return a * 2");
}

function callback(name) {
  // ok: dpra.js.eval-of-non-literal
  setTimeout(() => console.log(name), 10);
}

function parse(text) {
  // ok: dpra.js.eval-of-non-literal
  return JSON.parse(text);
}

module.exports = { calc, compile, later, constant, constantFunction, callback, parse };
