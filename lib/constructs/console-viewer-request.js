// CloudFront Function (cloudfront-js-2.0), viewer request of the console's behavior (/console*).
// The console is a single-page app: a page path (no file extension in its last segment, such as
// /console/shows/123 or /console/) is answered with /console/index.html, and the app routes it.
// Files (/console/assets/x.js, /console/config.json) go to the bucket unchanged, so a missing file
// is a plain 403/404 and API errors are never rewritten (the API has its own behavior).
// test/infra/console-distribution.test.ts loads this file and runs it against sample requests.
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/console') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/console/' } } };
  }
  if (uri.indexOf('/console/') !== 0) {
    return { statusCode: 404, statusDescription: 'Not Found' };
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/console/index.html';
  return request;
}
