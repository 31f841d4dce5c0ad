import { ConfigError, loadConfig } from '../config/config.js';

describe('logistics configuration', () => {
  it('defaults: no polled carriers, scan every 15 min, poll every 30 min, 2 retries', () => {
    const c = loadConfig({});
    expect(c.logistics).toEqual({ scanCron: '*/15 * * * *', pollCron: '*/30 * * * *', carrierApiUrls: {}, pollRetries: 2, pollBackoffMs: 500, pollBatchSize: 200 });
  });

  it('reads CARRIER_API_URLS as carrier code → base URL (codes lower-cased, trailing slash dropped)', () => {
    const c = loadConfig({ CARRIER_API_URLS: '{"YunDa":"https://api.example.com/yunda/","zto":"http://127.0.0.1:9000"}' });
    expect(c.logistics.carrierApiUrls).toEqual({ yunda: 'https://api.example.com/yunda', zto: 'http://127.0.0.1:9000' });
  });

  it('refuses malformed carrier URLs and retry counts at start', () => {
    expect(() => loadConfig({ CARRIER_API_URLS: 'yunda=https://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ CARRIER_API_URLS: '["https://x"]' })).toThrow(/JSON object/);
    expect(() => loadConfig({ CARRIER_API_URLS: '{"yunda":"ftp://x"}' })).toThrow(/CARRIER_API_URLS.yunda/);
    expect(() => loadConfig({ CARRIER_POLL_RETRIES: '11' })).toThrow(/CARRIER_POLL_RETRIES/);
  });
});
