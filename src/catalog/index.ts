export { Catalog, type CatalogFile, type LoadedPattern } from './Catalog.ts';
export { loadCatalog, CatalogLoadError, type CatalogSources } from './loadCatalog.ts';
export { parseJsonDocument, lineOfPath, locateError, lineAt } from './jsonSource.ts';
export { CatalogManager, type ReloadResult, type CatalogManagerOptions } from './CatalogManager.ts';
