export { WatcherClient, type DownloadOptions, type WatcherClientOptions, type WatcherDownload } from './watcher-client.js'
