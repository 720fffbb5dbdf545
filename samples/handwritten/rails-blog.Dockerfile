# Hand-written equivalent of samples/rails-blog.ship.
FROM ruby:3.3 AS build
WORKDIR /app
ENV RAILS_ENV=production BUNDLE_DEPLOYMENT=1 BUNDLE_PATH=/usr/local/bundle BUNDLE_WITHOUT=development:test
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN SECRET_KEY_BASE_DUMMY=1 bin/rails assets:precompile

FROM ruby:3.3-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5=15.10-0+deb12u1 \
    && rm -rf /var/lib/apt/lists/*
ENV RAILS_ENV=production RAILS_LOG_TO_STDOUT=1 BUNDLE_DEPLOYMENT=1 BUNDLE_PATH=/usr/local/bundle BUNDLE_WITHOUT=development:test
WORKDIR /app
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /app /app
RUN mkdir -p tmp log storage && chown -R 65532:65532 tmp log storage
USER 65532:65532
EXPOSE 3000
CMD ["bin/rails", "server", "-b", "0.0.0.0"]
