# Hand-written equivalent of samples/php-fpm-shop.ship.
FROM composer:2.8 AS build
WORKDIR /var/www/html
COPY composer.json composer.lock ./
RUN --mount=type=cache,target=/tmp/cache \
    composer install --no-dev --no-interaction --no-progress --no-scripts

FROM php:8.3-fpm
RUN apt-get update \
    && apt-get install -y --no-install-recommends libicu-dev=72.1-3 \
    && rm -rf /var/lib/apt/lists/* \
    && docker-php-ext-install -j"$(nproc)" intl pdo_mysql opcache \
    && pecl install redis-6.1.0 && rm -rf /tmp/pear \
    && docker-php-ext-enable redis \
    && chown root:root /var/www/html && chmod 755 /var/www/html
COPY --from=build /var/www/html/vendor ./vendor
COPY public ./public
COPY src ./src
USER www-data
EXPOSE 9000
CMD ["php-fpm"]
