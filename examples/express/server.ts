// A minimal Xlink-style server: `npm start`, then `curl -i http://127.0.0.1:3000/v2/device/1`.
import express from 'express';
import { xlinkError, xlinkErrorHandler, xlinkNotFound } from 'xlink-errors';

const devices = new Map([[1, { id: 1, mac: 'AABBCCDDEEFF', name: 'Demo lamp' }]]);

export const app = express();
app.get('/v2/device/:id', (req, res) => {
  const device = devices.get(Number(req.params.id));
  if (!device) throw xlinkError('DEVICE_NOT_FOUND');
  res.json(device);
});
app.use(xlinkNotFound());
app.use(xlinkErrorHandler());

if (require.main === module) {
  const port = Number(process.env.PORT ?? 3000);
  app.listen(port, () => console.log(`Xlink example listening on http://127.0.0.1:${port}`));
}
